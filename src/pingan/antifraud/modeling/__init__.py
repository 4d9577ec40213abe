"""The model lifecycle of 警银通: features replayed through the screening engine, LightGBM training put on
the engine's point scale, evaluation reports, the model registry the live engine loads from, and the
shadow challenger's comparison with the deciding model."""
