"""The shipped example agency folders, installed as package data for `thidua example`."""
