"""警银通 JSON API: screening (the banks' contract), alerts and intel."""
