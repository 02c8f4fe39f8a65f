"""The integration guide of the developer portal, generated from the platform's own registries."""
