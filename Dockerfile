# One image for the api, worker and migrate services (docker-compose.yml picks the command).

# The console (Vite) and the web-chat widget are build outputs: built with the dev dependencies here.
FROM node:24-slim AS assets
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm install --no-audit --no-fund
COPY . .
RUN node_modules/.bin/tsx scripts/build-widget.ts && node_modules/.bin/vite build console

FROM node:24-slim
WORKDIR /app
ENV NODE_ENV=production
# The API listens on loopback unless told otherwise; in a container it must accept the published port.
ENV HOST=0.0.0.0
# ffmpeg makes the thumbnails of inbound images and videos (without it, files are stored with none).
RUN apt-get update && apt-get install -y --no-install-recommends ffmpeg && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
# tsx runs the TypeScript at runtime and is a regular dependency, so dev dependencies stay out.
# `npm install` rather than `npm ci`: see .ci/run (optional packages missing from the lockfile).
RUN npm install --omit=dev --no-audit --no-fund && npm cache clean --force
COPY . .
COPY --from=assets /app/console/dist console/dist
COPY --from=assets /app/api/public/widget.js api/public/widget.js
USER node
EXPOSE 3000
CMD ["node_modules/.bin/tsx", "api/main.ts"]
