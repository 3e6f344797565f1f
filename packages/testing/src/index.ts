// @netlayers/testing: Conformance suites any implementation of a layer runs against itself, and test harnesses.
