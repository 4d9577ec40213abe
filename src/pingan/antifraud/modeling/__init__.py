"""The model lifecycle of 警银通: features replayed through the screening engine, LightGBM training with
calibration, evaluation reports, and the model registry the live engine loads from."""
