// @netlayers/physical: Physical layer: point-to-point links, hubs, queues, serialization and propagation delay, impairments.
