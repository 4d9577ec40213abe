"""The service catalogue (事项目录): a data file an operator edits and loads by code."""
