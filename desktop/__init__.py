"""EcoDesk 生态环境工作台: the desktop application and its command line."""

__version__ = "0.1.0"
