"""A local S3-compatible server for the media tests: moto's standalone server on 127.0.0.1
and a free port, started once per test process by the `s3_server` fixture (tests/conftest.py).
Each test that asks for `s3_media` gets two fresh buckets and STORAGES switched to them, built
by the same `s3_media_settings` that MEDIA_STORAGE=s3 uses in production."""

import copy
import socket
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass
from typing import Any

from twinning.settings import s3_media_settings

ACCESS_KEY = "twinning-test"
SECRET_KEY = "twinning-test-secret"
REGION = "us-east-1"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class S3Media:
    endpoint: str
    public_bucket: str
    private_bucket: str
    client: Any  # a boto3 S3 client of the same server, to look behind the storage API

    def keys(self, bucket: str, prefix: str = "") -> list[str]:
        listing = self.client.list_objects_v2(Bucket=bucket, Prefix=prefix)
        return sorted(item["Key"] for item in listing.get("Contents", []))

    def private_keys(self, prefix: str = "") -> list[str]:
        return self.keys(self.private_bucket, prefix)

    def anonymous_get(self, url: str) -> tuple[int, bytes]:
        """GET `url` with no credentials at all, as any visitor of the bucket would."""
        try:
            with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 (loopback only)
                return response.status, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.read()


def start_server() -> tuple[Any, str]:
    from moto.server import ThreadedMotoServer

    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    return server, f"http://127.0.0.1:{port}"


def switch_to_s3(settings: Any, endpoint: str) -> S3Media:
    """Create two buckets on the server and point STORAGES and the CSP at them."""
    import boto3

    name = f"twinning-{uuid.uuid4().hex[:12]}"
    variables = {
        "S3_ENDPOINT_URL": endpoint,
        "S3_REGION": REGION,
        "S3_ACCESS_KEY_ID": ACCESS_KEY,
        "S3_SECRET_ACCESS_KEY": SECRET_KEY,
        "S3_ADDRESSING_STYLE": "path",
        "S3_PUBLIC_BUCKET": f"{name}-public",
        "S3_PRIVATE_BUCKET": f"{name}-private",
    }
    public, private, origins = s3_media_settings(lambda key: variables.get(key, ""))
    client = boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name=REGION,
        aws_access_key_id=ACCESS_KEY,
        aws_secret_access_key=SECRET_KEY,
    )
    client.create_bucket(Bucket=variables["S3_PUBLIC_BUCKET"])
    client.create_bucket(Bucket=variables["S3_PRIVATE_BUCKET"], ACL="private")
    settings.STORAGES = {**settings.STORAGES, "default": public, "private": private}
    policy = copy.deepcopy(settings.CONTENT_SECURITY_POLICY)
    policy["DIRECTIVES"]["img-src"] = [*policy["DIRECTIVES"]["img-src"], *origins]
    settings.CONTENT_SECURITY_POLICY = policy
    return S3Media(
        endpoint=endpoint,
        public_bucket=variables["S3_PUBLIC_BUCKET"],
        private_bucket=variables["S3_PRIVATE_BUCKET"],
        client=client,
    )
