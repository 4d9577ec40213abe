"""Partner desks: the window clerk of another bureau (人社, 民政 …) sees and moves only the items routed to it."""
