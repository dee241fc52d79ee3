"""The canonical model every backend's dialect is translated into."""
