"""Fugitives (在逃人员): the register, arrests that close the record and move the case, and the watch list."""
