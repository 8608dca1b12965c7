"""Rules shared by several services, in plain typed functions over the store."""
