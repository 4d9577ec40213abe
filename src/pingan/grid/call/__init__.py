"""Non-police 110 calls handed to the grid (非警务警情分流): received, accepted, handled, fed back, called back —
or returned to the station."""
