"""The HTTP layer shared by every module: request dependencies, error mapping, templates, platform pages."""
