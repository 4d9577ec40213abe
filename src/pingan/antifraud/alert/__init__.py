"""警银联动 alerts: opening on a hold, the station's steps, their clocks and the measures."""
