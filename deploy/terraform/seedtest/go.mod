module github.com/bankapp/bankapp/deploy/terraform/seedtest

go 1.26.8
