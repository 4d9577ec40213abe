"""可视对讲: live video calls from a report, peer to peer in the browsers, Pingan relaying the signalling."""
