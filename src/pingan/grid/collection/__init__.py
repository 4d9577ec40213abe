"""信息采集: records tied to a standard address (and a person of the register); collecting again updates them."""
