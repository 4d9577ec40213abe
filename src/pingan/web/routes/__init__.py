"""Platform pages and API: log-in, home and to-do, organisation, audit, users, events; the 一标三实 register."""

from pingan.web.routes import audit, auth, events, home, org, people, places, todo, watch

ROUTERS = [auth.router, home.router, org.router, audit.router, todo.router, events.router]
ROUTERS += [places.router, people.router, watch.router]
