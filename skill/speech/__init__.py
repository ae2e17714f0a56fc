"""Speech: the one SSML builder (`ssml`) and the guided-workout script (`workout`)."""
