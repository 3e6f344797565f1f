// @netlayers/swaps: Worked layer swaps: stop-and-wait and go-back-N transports, distance-vector routing, a CSMA/CD shared medium, a four-layer network-access module.
