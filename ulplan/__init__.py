"""ulplan: declarative infrastructure-as-code for the Ultralytics Platform."""

__version__ = "0.1.0"
