// @netlayers/cli: The netlayers command: run a script with traces, ladders, pcaps and stepping.
