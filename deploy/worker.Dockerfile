# The coordinate worker as an image: a slim Node base with git (each task works in its own clone)
# and bubblewrap (the sandbox every task command runs in). It needs only an address and a token:
#   docker build -f deploy/worker.Dockerfile -t coordinate-worker .
#   docker run --rm -e COORDINATE_TOKEN=… coordinate-worker worker --url wss://coordinator:8443
FROM node:20-bookworm-slim AS build
WORKDIR /src
COPY . .
RUN npm ci --no-audit --no-fund && npm run build && npm prune --omit=dev --no-audit --no-fund

FROM node:20-bookworm-slim
# git: the task's clone and worktree; bubblewrap, socat, ripgrep: the command sandbox; ca-certificates: wss:// to the system CAs.
RUN apt-get update \
 && apt-get install -y --no-install-recommends git bubblewrap socat ripgrep ca-certificates \
 && rm -rf /var/lib/apt/lists/*
COPY --from=build /src /opt/coordinate
# A user of its own, never root; /work is where the clone and the worktrees live (an emptyDir in Kubernetes).
RUN useradd --uid 10001 --create-home --home-dir /work coordinate
USER 10001
WORKDIR /work
ENV HOME=/work NODE_ENV=production
ENTRYPOINT ["node", "/opt/coordinate/coordinator/bin/coordinate.js"]
CMD ["worker", "--help"]
