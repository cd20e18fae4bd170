"""sockpuppet: released troll-account archives in, evidence of shared operators out."""

__version__ = "0.1.0"
