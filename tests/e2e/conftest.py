import sys
from pathlib import Path

# the helpers module next to these tests
sys.path.insert(0, str(Path(__file__).parent))
