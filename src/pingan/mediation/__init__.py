"""调解室 mediation rooms: disputes taken in from 110 calls, walk-ins, grid reports and court referrals,
mediated the same day, followed up by the community officer when not settled, agreements and return visits."""
