package blob_test

import (
	"context"
	"errors"
	"fmt"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"

	"github.com/bankapp/bankapp/internal/blob"
)

// fakeS3 starts gofakes3 (in-memory) behind httptest and returns a client
// for it, speaking the real S3 wire protocol.
func fakeS3(t *testing.T) (*s3.Client, string) {
	t.Helper()
	ts := httptest.NewServer(gofakes3.New(s3mem.New()).Server())
	t.Cleanup(ts.Close)
	client := s3.New(s3.Options{
		Region:       "us-east-1",
		BaseEndpoint: aws.String(ts.URL),
		UsePathStyle: true,
		Credentials:  credentials.NewStaticCredentialsProvider("AKIDTEST", "secret", ""),
	})
	return client, ts.URL
}

var bucketSeq atomic.Int64

func newBucket(t *testing.T, client *s3.Client) string {
	t.Helper()
	name := fmt.Sprintf("bankapp-test-%d", bucketSeq.Add(1))
	if _, err := client.CreateBucket(context.Background(), &s3.CreateBucketInput{Bucket: aws.String(name)}); err != nil {
		t.Fatalf("create bucket: %v", err)
	}
	return name
}

func TestS3Contract(t *testing.T) {
	client, _ := fakeS3(t)
	testContract(t, func(t *testing.T) blob.Store {
		s, err := blob.NewS3(client, newBucket(t, client), "env/blobs")
		if err != nil {
			t.Fatal(err)
		}
		return s
	})
}

func TestS3PrefixAndEncryption(t *testing.T) {
	ctx := context.Background()
	client, _ := fakeS3(t)
	bucket := newBucket(t, client)
	s, err := blob.NewS3(client, bucket, "/prod/statements/")
	if err != nil {
		t.Fatal(err)
	}
	mustPut(t, s, "acc/2026-10.pdf", "pdf bytes")

	head, err := client.HeadObject(ctx, &s3.HeadObjectInput{
		Bucket: aws.String(bucket), Key: aws.String("prod/statements/acc/2026-10.pdf"),
	})
	if err != nil {
		t.Fatalf("object not at bucket/prefix/key: %v", err)
	}
	if head.ServerSideEncryption != types.ServerSideEncryptionAes256 {
		t.Errorf("ServerSideEncryption = %q, want AES256", head.ServerSideEncryption)
	}
	if ct := aws.ToString(head.ContentType); ct != "text/plain" {
		t.Errorf("ContentType = %q, want text/plain", ct)
	}
}

func TestS3MissingBucketIsNotNotFound(t *testing.T) {
	client, _ := fakeS3(t)
	s, err := blob.NewS3(client, "no-such-bucket", "")
	if err != nil {
		t.Fatal(err)
	}
	_, _, err = s.Get(context.Background(), "k")
	if err == nil || errors.Is(err, blob.ErrNotFound) {
		t.Errorf("Get from a missing bucket: err = %v, want a configuration error, not ErrNotFound", err)
	}
	if err := s.Put(context.Background(), "k", strings.NewReader("x"), ""); err == nil {
		t.Error("Put to a missing bucket succeeded")
	}
}

func TestOpenS3URL(t *testing.T) {
	client, endpoint := fakeS3(t)
	bucket := newBucket(t, client)
	t.Setenv("AWS_ACCESS_KEY_ID", "AKIDTEST")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "secret")
	t.Setenv("AWS_EC2_METADATA_DISABLED", "true")
	t.Setenv("AWS_CONFIG_FILE", "/nonexistent")
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent")

	url := fmt.Sprintf("s3://%s/dev/blobs?region=eu-west-2&endpoint=%s&use_path_style=true", bucket, endpoint)
	s, err := blob.Open(context.Background(), url, t.TempDir())
	if err != nil {
		t.Fatalf("Open(%q): %v", url, err)
	}
	mustPut(t, s, "x/y.csv", "a,b\r\n")
	if _, err := client.HeadObject(context.Background(), &s3.HeadObjectInput{
		Bucket: aws.String(bucket), Key: aws.String("dev/blobs/x/y.csv"),
	}); err != nil {
		t.Errorf("object from Open(%q) not at dev/blobs/x/y.csv: %v", url, err)
	}
	if _, err := blob.Open(context.Background(), "s3://b/p?use_path_style=maybe", ""); err == nil {
		t.Error("Open with a bad use_path_style succeeded")
	}
}
