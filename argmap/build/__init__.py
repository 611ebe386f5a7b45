"""Running the stages: one map's check, a site's build, the cache and the workers."""
