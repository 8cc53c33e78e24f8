# Packer (HCL2, works with Debian 12's packer 1.6.6: no required_plugins, builders built in) for the appliance.
#
# Both sources start from a plain Debian 12 cloud image, boot it, and run the SAME Ansible role as the image
# build and any other host (ansible/roles/accomplishments_validator) with the .deb built by `mvn package`.
#
#   qemu.appliance       local: base_image is a local qcow2 (e.g. Debian's genericcloud image, or the output of
#                        image/build-image.sh to re-provision it); the config drive (cd_files, label config-2)
#                        gives cloud-init the SSH key of the build. accelerator: tcg here (KVM does not work on
#                        the project's machines), kvm where it does.
#   openstack.appliance  in a real cloud: boots source_image_name on network/flavor, provisions over SSH, and
#                        saves the result as a Glance image.
#
# packer/build-qemu.sh runs the qemu build; packer/validate.sh validates both sources offline (a stand-in for
# Keystone answers the openstack source's authentication on 127.0.0.1).
packer {
  required_version = ">= 1.6.0"
}

variable "deb" {
  type        = string
  description = "path of accomplishments-validator_<version>_all.deb"
}
variable "base_image" {
  type        = string
  default     = "../image/out/accomplishments-validator.qcow2"
  description = "qemu: local qcow2 to start from (Debian 12 with cloud-init)"
}
variable "accelerator" {
  type    = string
  default = "tcg"
}
variable "ssh_private_key_file" {
  type        = string
  description = "qemu: key whose public half is in config_drive_dir's meta_data.json (build-qemu.sh makes both)"
}
variable "config_drive_dir" {
  type    = string
  default = "out/configdrive"
}
variable "output_directory" {
  type    = string
  default = "out/qemu"
}
variable "identity_endpoint" {
  type        = string
  default     = "http://127.0.0.1:5000/v3"
  description = "openstack: Keystone v3 URL (OS_AUTH_URL)"
}
variable "region" {
  type    = string
  default = "RegionOne"
}
variable "username" {
  type    = string
  default = "packer"
}
variable "password" {
  type      = string
  default   = ""
  sensitive = true
}
variable "domain_name" {
  type    = string
  default = "Default"
}
variable "tenant_name" {
  type    = string
  default = "demo"
}
variable "source_image_name" {
  type        = string
  default     = "debian-12-genericcloud-amd64"
  description = "openstack: the Glance image to start from"
}
variable "flavor" {
  type    = string
  default = "m1.small"
}
variable "networks" {
  type        = list(string)
  default     = ["00000000-0000-0000-0000-000000000000"]
  description = "openstack: network UUIDs for the build instance"
}
variable "floating_ip_network" {
  type    = string
  default = ""
}
variable "image_name" {
  type    = string
  default = "accomplishments-validator"
}

source "qemu" "appliance" {
  disk_image           = true
  iso_url              = var.base_image
  iso_checksum         = "none"
  format               = "qcow2"
  disk_interface       = "virtio"
  disk_compression     = true
  disk_size            = "2048M"
  headless             = true
  accelerator          = var.accelerator
  memory               = 1024
  cpus                 = 2
  vm_name              = "accomplishments-validator.qcow2"
  output_directory     = var.output_directory
  communicator         = "ssh"
  ssh_username         = "debian"
  ssh_private_key_file = var.ssh_private_key_file
  ssh_timeout          = "20m"
  shutdown_command     = "sudo systemctl poweroff"
  shutdown_timeout     = "5m"
  cd_files             = ["${var.config_drive_dir}/*"]
  cd_label             = "config-2"
  # restrict=on: no guest traffic leaves the host; the SSH forward listens on 127.0.0.1 only.
  qemuargs = [
    ["-netdev", "user,id=user.0,restrict=on,hostfwd=tcp:127.0.0.1:{{ .SSHHostPort }}-:22"],
    ["-device", "virtio-net,netdev=user.0"],
    ["-cpu", "qemu64"],
  ]
}

source "openstack" "appliance" {
  identity_endpoint   = var.identity_endpoint
  region              = var.region
  username            = var.username
  password            = var.password
  domain_name         = var.domain_name
  tenant_name         = var.tenant_name
  source_image_name   = var.source_image_name
  flavor              = var.flavor
  networks            = var.networks
  floating_ip_network = var.floating_ip_network
  config_drive        = true
  ssh_username        = "debian"
  ssh_timeout         = "20m"
  image_name          = "${var.image_name}-{{timestamp}}"
  metadata = {
    os_distro  = "debian"
    os_version = "12"
  }
}

build {
  sources = ["source.qemu.appliance", "source.openstack.appliance"]

  # The same role as everywhere, from the .deb (apt fetches only Debian's own dependencies).
  provisioner "ansible" {
    playbook_file = "${path.root}/../ansible/provision.yml"
    user          = "debian"
    extra_arguments = [
      "--extra-vars", "accomplishments_validator_deb=${var.deb}",
    ]
    ansible_env_vars = ["ANSIBLE_CONFIG=${path.root}/../ansible/ansible.cfg", "ANSIBLE_HOST_KEY_CHECKING=False"]
  }

  # Leave no instance identity behind: the next boot is a first boot (new host keys, new cloud-init run).
  provisioner "shell" {
    inline = [
      "sudo cloud-init status --wait || true",
      "sudo cloud-init clean --logs --seed",
      "sudo rm -f /etc/ssh/ssh_host_* /home/debian/.ssh/authorized_keys",
      "sudo truncate -s 0 /etc/machine-id",
    ]
  }

  post-processor "checksum" {
    only           = ["qemu.appliance"]
    checksum_types = ["sha256"]
    output         = "${var.output_directory}/{{.BuildName}}.{{.ChecksumType}}"
  }
}
