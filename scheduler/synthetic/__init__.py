"""Realistic generated communities for trying the tool and measuring it (`roster generate`)."""
