"""Uploads in an S3-compatible bucket (MEDIA_STORAGE=s3): public files at plain URLs, documents signed.

Images, videos and their renditions are public: plain URLs that a CDN (the custom domain) can
cache. Documents can be private (a login-restricted collection), so their objects get no
public URL at all: every URL for them is signed by the bucket's endpoint and expires after
MEDIA_S3_SIGNED_URL_SECONDS, and Wagtail hands one out only after its permission check
(WAGTAILDOCS_SERVE_METHOD = "redirect"). The bucket's policy must keep `documents/` private.
"""

from storages.backends.s3 import S3Storage
from storages.utils import clean_name


PRIVATE_PREFIXES = ("documents/",)


class MediaS3Storage(S3Storage):
    def url(self, name, parameters=None, expire=None, http_method=None):
        key = self._normalize_name(clean_name(name))
        if not key.startswith(PRIVATE_PREFIXES):
            return super().url(name, parameters, expire, http_method)
        params = {**(parameters or {}), "Bucket": self.bucket.name, "Key": key}
        return self.connection.meta.client.generate_presigned_url(
            "get_object",
            Params=params,
            ExpiresIn=expire or self.querystring_expire,
            HttpMethod=http_method,
        )
