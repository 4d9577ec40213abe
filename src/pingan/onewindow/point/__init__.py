"""村级代办点: the register of village service points whose agents apply for the village's residents."""
