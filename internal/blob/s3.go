package blob

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strconv"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/smithy-go"
)

// MaxS3PutSize bounds one S3 Put. The body is buffered in memory so that the
// SDK can sign it and retry over plain HTTP too; statements and exports are
// far smaller than this.
const MaxS3PutSize = 256 << 20

// S3 is a Store in an S3 bucket under a key prefix. Objects are written with
// server-side encryption (SSE-S3, AES256).
//
// IAM: the role needs s3:PutObject and s3:GetObject on bucket/prefix/* and
// s3:ListBucket on the bucket; without ListBucket, S3 answers a missing key
// with 403 instead of 404 and Get/Exists return an error instead of
// ErrNotFound/false.
type S3 struct {
	client *s3.Client
	bucket string
	prefix string // without leading or trailing "/"; may be empty
}

// NewS3 returns a Store that keeps key k at s3://bucket/prefix/k via client.
func NewS3(client *s3.Client, bucket, prefix string) (*S3, error) {
	if client == nil {
		return nil, errors.New("blob: new s3 store: nil client")
	}
	if bucket == "" {
		return nil, errors.New("blob: new s3 store: empty bucket")
	}
	prefix = strings.Trim(prefix, "/")
	if prefix != "" {
		if err := ValidateKey(prefix); err != nil {
			return nil, fmt.Errorf("blob: new s3 store: prefix: %w", err)
		}
	}
	return &S3{client: client, bucket: bucket, prefix: prefix}, nil
}

// openS3 builds an S3 store from s3://bucket/prefix?region=&endpoint=&use_path_style=.
func openS3(ctx context.Context, raw string) (*S3, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("blob: open s3 store: %w", err)
	}
	q := u.Query()
	opts := []func(*config.LoadOptions) error{config.WithDefaultRegion("us-east-1")}
	if r := q.Get("region"); r != "" {
		opts = append(opts, config.WithRegion(r))
	}
	cfg, err := config.LoadDefaultConfig(ctx, opts...)
	if err != nil {
		return nil, fmt.Errorf("blob: open s3 store: load AWS config: %w", err)
	}
	pathStyle := false
	if v := q.Get("use_path_style"); v != "" {
		if pathStyle, err = strconv.ParseBool(v); err != nil {
			return nil, fmt.Errorf("blob: open s3 store: use_path_style=%q: %w", v, err)
		}
	}
	endpoint := q.Get("endpoint")
	client := s3.NewFromConfig(cfg, func(o *s3.Options) {
		if endpoint != "" {
			o.BaseEndpoint = aws.String(endpoint)
		}
		o.UsePathStyle = pathStyle
	})
	return NewS3(client, u.Host, u.Path)
}

func (s *S3) objectKey(key string) string {
	if s.prefix == "" {
		return key
	}
	return s.prefix + "/" + key
}

// Put uploads r (at most MaxS3PutSize bytes) with SSE AES256.
func (s *S3) Put(ctx context.Context, key string, r io.Reader, contentType string) error {
	if err := ValidateKey(key); err != nil {
		return err
	}
	if contentType == "" {
		contentType = defaultContentType
	}
	body, err := io.ReadAll(io.LimitReader(ctxReader{ctx: ctx, r: r}, MaxS3PutSize+1))
	if err != nil {
		return fmt.Errorf("blob: put %q: read body: %w", key, err)
	}
	if len(body) > MaxS3PutSize {
		return fmt.Errorf("blob: put %q: body larger than %d bytes", key, MaxS3PutSize)
	}
	_, err = s.client.PutObject(ctx, &s3.PutObjectInput{
		Bucket:               aws.String(s.bucket),
		Key:                  aws.String(s.objectKey(key)),
		Body:                 bytes.NewReader(body),
		ContentLength:        aws.Int64(int64(len(body))),
		ContentType:          aws.String(contentType),
		ServerSideEncryption: types.ServerSideEncryptionAes256,
	})
	if err != nil {
		return fmt.Errorf("blob: put s3://%s/%s: %w", s.bucket, s.objectKey(key), err)
	}
	return nil
}

// Get opens the object under key.
func (s *S3) Get(ctx context.Context, key string) (io.ReadCloser, Info, error) {
	if err := ValidateKey(key); err != nil {
		return nil, Info{}, err
	}
	out, err := s.client.GetObject(ctx, &s3.GetObjectInput{
		Bucket: aws.String(s.bucket),
		Key:    aws.String(s.objectKey(key)),
	})
	if err != nil {
		return nil, Info{}, fmt.Errorf("blob: get s3://%s/%s: %w", s.bucket, s.objectKey(key), s3NotFound(err))
	}
	info := Info{
		Size:        aws.ToInt64(out.ContentLength),
		ContentType: aws.ToString(out.ContentType),
		ModTime:     aws.ToTime(out.LastModified),
	}
	if info.ContentType == "" {
		info.ContentType = defaultContentType
	}
	return out.Body, info, nil
}

// Exists reports whether an object is stored under key (a HEAD request).
func (s *S3) Exists(ctx context.Context, key string) (bool, error) {
	if err := ValidateKey(key); err != nil {
		return false, err
	}
	_, err := s.client.HeadObject(ctx, &s3.HeadObjectInput{
		Bucket: aws.String(s.bucket),
		Key:    aws.String(s.objectKey(key)),
	})
	if err != nil {
		if err = s3NotFound(err); errors.Is(err, ErrNotFound) {
			return false, nil
		}
		return false, fmt.Errorf("blob: exists s3://%s/%s: %w", s.bucket, s.objectKey(key), err)
	}
	return true, nil
}

// s3NotFound marks S3's "no such key" answers (NoSuchKey for GET, a bare
// 404 NotFound for HEAD) as ErrNotFound. A missing bucket stays an error:
// that is a misconfiguration, not a missing document.
func s3NotFound(err error) error {
	var nsk *types.NoSuchKey
	var nf *types.NotFound
	if errors.As(err, &nsk) || errors.As(err, &nf) {
		return fmt.Errorf("%w: %w", ErrNotFound, err)
	}
	var apiErr smithy.APIError
	if errors.As(err, &apiErr) && (apiErr.ErrorCode() == "NoSuchKey" || apiErr.ErrorCode() == "NotFound") {
		return fmt.Errorf("%w: %w", ErrNotFound, err)
	}
	return err
}
