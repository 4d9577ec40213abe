"""Platform pages and API: log-in, home and to-do, organisation, audit, users, events."""

from pingan.web.routes import audit, auth, events, home, org, todo

ROUTERS = [auth.router, home.router, org.router, audit.router, todo.router, events.router]
