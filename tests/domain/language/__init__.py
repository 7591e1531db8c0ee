"""Independent checks of how citizens' typing is understood, written from how people write."""
