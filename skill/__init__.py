"""Band Coach: a hands-free resistance-band strength coach for runners, as an Alexa skill."""
