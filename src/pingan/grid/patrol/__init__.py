"""联动巡逻: joint patrols of police and grid members, check-in points with printable QR codes, findings."""
