"""警网融合 police–grid integration: the grid force, reports from the grid and non-police 110 calls handed to it,
each with its clocks, routed both ways between the community officer and the grid."""
