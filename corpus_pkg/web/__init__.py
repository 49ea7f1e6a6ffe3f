"""The local web workbench (``corpus serve``): a server bound to 127.0.0.1 and the pages it serves."""
