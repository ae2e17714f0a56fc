"""The skill as a web service: Flask app factory (`app.create_app`), Amazon's request
verification (`verifier`, `certificates`) and a WSGI entry point (`wsgi:app`)."""
