"""Meute: the platform of a chamber of commerce and the business networks it encourages."""
