"""In-cluster model importer of maas-wizard (STAGES.md section 4, method "job").

Streams files of one Hugging Face repo into an S3 bucket, file after file, without holding a
file in memory (requests streaming + boto3 managed multipart upload), and prints one JSON object
per line on stdout; the wizard follows the pod log:

  {"event": "start", "repo": ..., "files": N, "bytes": B}
  {"event": "skip", "file": path, "size": n}            already in the bucket with that size
  {"event": "progress", "file": path, "bytes": n, "size": m}
  {"event": "file-done", "file": path, "size": n}
  {"event": "done", "files": N, "bytes": B}
  {"event": "error", "status": 401|403|404|0, "message": ..., "file": path}   then exit 1
  {"event": "error", "status": 0, "message": ..., "file": path, "source": "s3"}  an S3 refusal
                   (added later; "source" is absent on Hub errors), then exit 1

Environment:
  REPO_ID          owner/name
  FILES            JSON list of {"path": ..., "size": ...} to copy (chosen by the wizard's filter)
  HF_ENDPOINT      Hub base URL (default https://huggingface.co)
  HF_TOKEN         optional read token (from Secret hf-token)
  PART_SIZE        multipart part size in bytes (>= 5 MiB)
  AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_S3_ENDPOINT, AWS_S3_BUCKET, AWS_DEFAULT_REGION
                   from the data connection Secret; AWS_CA_BUNDLE for a service-CA endpoint.
Auth errors (401, 403) are never retried.

Memory: at most about (2 + max_concurrency) parts of PART_SIZE bytes of a file are held at once
(s3transfer reads a non-seekable stream part by part; max_in_memory_upload_chunks bounds them).
Works with boto3 >= 1.26 (Debian 12's python3-boto3, used by the wizard's tests) and current
boto3 (what pip installs in the Job): the "when_required" checksum settings exist only since
botocore 1.36 and are passed only when known.
"""
import json
import os
import sys
import time

import boto3
import botocore.exceptions
import requests
from boto3.s3.transfer import TransferConfig
from botocore.config import Config


def emit(**fields):
    print(json.dumps(fields), flush=True)


def hub_message(resp):
    msg = resp.headers.get("X-Error-Message")
    if msg:
        return msg
    try:
        return resp.json().get("error", resp.reason)
    except ValueError:
        return resp.reason


def s3_config():
    """Path-style addressing; checksums only when required (RGW and NooBaa refuse some of the
    trailing checksums botocore >= 1.36 sends by default). Older botocore lacks those options."""
    try:
        return Config(s3={"addressing_style": "path"}, request_checksum_calculation="when_required", response_checksum_validation="when_required")
    except TypeError:
        return Config(s3={"addressing_style": "path"})


def transfer_config(part):
    """Multipart above one part, two parts in flight, at most two more read ahead."""
    config = TransferConfig(multipart_chunksize=part, multipart_threshold=part, max_concurrency=2)
    config.max_in_memory_upload_chunks = 2
    return config


def main():
    repo = os.environ["REPO_ID"]
    files = json.loads(os.environ["FILES"])
    hub = os.environ.get("HF_ENDPOINT", "https://huggingface.co").rstrip("/")
    token = os.environ.get("HF_TOKEN") or None
    part = max(5 * 1024 * 1024, int(os.environ.get("PART_SIZE", str(16 * 1024 * 1024))))
    bucket = os.environ["AWS_S3_BUCKET"]
    s3 = boto3.client(
        "s3",
        endpoint_url=os.environ["AWS_S3_ENDPOINT"],
        region_name=os.environ.get("AWS_DEFAULT_REGION") or "us-east-1",
        config=s3_config(),
    )
    present = {}
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=repo + "/"):
        for obj in page.get("Contents", []):
            present[obj["Key"]] = obj["Size"]
    total = sum(f["size"] for f in files)
    emit(event="start", repo=repo, files=len(files), bytes=total)
    headers = {"Authorization": "Bearer " + token} if token else {}
    session = requests.Session()
    for f in files:
        key = repo + "/" + f["path"]
        if present.get(key) == f["size"]:
            emit(event="skip", file=f["path"], size=f["size"])
            continue
        url = "%s/%s/resolve/main/%s" % (hub, repo, f["path"])
        resp = session.get(url, headers=headers, stream=True, timeout=60)
        if resp.status_code != 200:
            emit(event="error", status=resp.status_code, message=hub_message(resp), file=f["path"])
            return 1
        resp.raw.decode_content = True
        sent = {"n": 0, "at": 0.0}

        def progress(n, path=f["path"], size=f["size"]):
            sent["n"] += n
            now = time.monotonic()
            if now - sent["at"] >= 1.0:
                sent["at"] = now
                emit(event="progress", file=path, bytes=sent["n"], size=size)

        try:
            s3.upload_fileobj(resp.raw, bucket, key, Config=transfer_config(part), Callback=progress)
        except (botocore.exceptions.BotoCoreError, botocore.exceptions.ClientError) as err:
            emit(event="error", status=0, message="S3 upload of %s failed: %s" % (key, err), file=f["path"], source="s3")
            return 1
        emit(event="file-done", file=f["path"], size=f["size"])
    emit(event="done", files=len(files), bytes=total)
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except requests.RequestException as err:
        emit(event="error", status=0, message=str(err))
        sys.exit(1)
    except (botocore.exceptions.BotoCoreError, botocore.exceptions.ClientError) as err:
        emit(event="error", status=0, message="S3: %s" % err, source="s3")
        sys.exit(1)
