"""The MkDocs side of the engine: the plugin (registered as `briefing` in pyproject.toml), its config, what it must
reach into MkDocs and Material for (upstream.py), and the build and serve commands of build_site.py."""
