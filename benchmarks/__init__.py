"""`make bench`: speed and memory measured as ratios against floors measured in the
same process (bare SimPy, a bare strawberry app). Dev-only: not part of the installed
package."""
