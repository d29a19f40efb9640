# One image for the api, worker and migrate services (docker-compose.yml picks the command).

# The console (Vite), the web-chat widget and the server (esbuild → dist/, with the workflow bundle)
# are build outputs: built with the dev dependencies here.
FROM node:24-slim AS assets
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm install --no-audit --no-fund
COPY . .
RUN node_modules/.bin/tsx scripts/build-widget.ts && node_modules/.bin/vite build console && node_modules/.bin/tsx scripts/build.ts

FROM node:24-slim
WORKDIR /app
ENV NODE_ENV=production
# The API listens on loopback unless told otherwise; in a container it must accept the published port.
ENV HOST=0.0.0.0
# Bundled at build time: a worker starts polling without running webpack.
ENV WORKFLOW_BUNDLE_PATH=/app/dist/workflow-bundle.js
# glibc's mmap threshold fixed, so big freed blocks go back to the system instead of staying in
# malloc's arenas (scripts/entries.ts, MALLOC_TUNABLES: the worker's idle RSS about 30 MB less).
ENV GLIBC_TUNABLES=glibc.malloc.mmap_threshold=131072
# V8's compiled code kept between starts of a container (as npm start keeps it in dist/).
ENV NODE_COMPILE_CACHE=/tmp/switchboard-compile-cache
# ffmpeg makes the thumbnails of inbound images and videos (without it, files are stored with none).
RUN apt-get update && apt-get install -y --no-install-recommends ffmpeg && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
# The processes run the compiled dist/ under plain node (no tsx, no esbuild service); packages stay
# in node_modules, so dev dependencies stay out. `npm install` rather than `npm ci`: see .ci/run (optional packages missing from the lockfile).
RUN npm install --omit=dev --no-audit --no-fund && npm cache clean --force
COPY . .
COPY --from=assets /app/console/dist console/dist
COPY --from=assets /app/api/public/widget.js api/public/widget.js
COPY --from=assets /app/dist dist
USER node
EXPOSE 3000
# The flags npm start gives the API (scripts/entries.ts, nodeFlags): its young generation capped at 32 MB.
CMD ["node", "--max-semi-space-size=32", "dist/api.js"]
