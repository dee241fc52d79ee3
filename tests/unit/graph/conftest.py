import sys
from pathlib import Path

# tests/graph_support.py, shared by the graph test tiers
sys.path.insert(0, str(Path(__file__).parents[2]))
