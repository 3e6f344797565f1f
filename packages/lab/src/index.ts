// @netlayers/lab: Composition: Simulation, Host, Router, Switch and links wired from swappable stack descriptions.
