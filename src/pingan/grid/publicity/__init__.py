"""宣防: publicity events with topic, place, audience, materials and photos."""
