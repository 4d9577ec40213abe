"""警银通: screening of bank remittances before the money leaves, police alerts and dissuasion, shared
intel lists, and model training from outcomes."""
