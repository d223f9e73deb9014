#!/bin/sh
# Stands in for Prisma's native schema engine, which cannot be downloaded here.
# `prisma generate` needs none; anything else must fail loudly, not silently.
echo "No native schema engine: use 'npm run migration:new' and the gateway's own migrator." >&2
exit 1
