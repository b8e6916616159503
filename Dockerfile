# secure-prompt-proxy container image. tests/test_install.py replays these exact RUN steps in a venv,
# since Docker cannot run on the build machines.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1 \
    LITELLM_LOCAL_MODEL_COST_MAP=True \
    HF_HUB_OFFLINE=1 \
    SPP_DATA_DIR=/data \
    VIRTUAL_ENV=/opt/spp \
    PATH=/opt/spp/bin:$PATH

RUN groupadd --system spp && useradd --system --gid spp --home-dir /app --shell /usr/sbin/nologin spp

WORKDIR /app
COPY requirements.lock build-requirements.lock pyproject.toml README.md ./
#STEP venv
RUN python -m venv /opt/spp
#STEP deps
RUN /opt/spp/bin/pip install --require-hashes --no-deps -r build-requirements.lock -r requirements.lock
COPY proxy ./proxy
COPY prompt_templates ./prompt_templates
#STEP package
RUN /opt/spp/bin/pip install --no-deps --no-build-isolation . && rm -rf /app/build
COPY config.yaml /app/config.yaml

RUN mkdir -p /data && chown spp:spp /data
USER spp
VOLUME ["/data"]
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=3s CMD python -c "import urllib.request,sys; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:8080/healthz').status==200 else 1)"
ENTRYPOINT ["spp"]
CMD ["serve", "--config", "/app/config.yaml", "--host", "0.0.0.0", "--port", "8080"]
