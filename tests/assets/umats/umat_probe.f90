! Test UMAT: echoes what it receives, so tests/UmatAdapter.Tests can check every argument the adapter passes.
! STATEV(1..28) receive the inputs listed below; STATEV(29) is set by SDVINI and left alone here.
! STRESS(i) = STRESS(i) + i, DDSDDE(i, j) = 10 i + j (not symmetric: shows the transpose to the host's row-major
! tangent), SSE, SPD, SCD grow by 1, 2, 3.
!
! femhost: statev = ndi nshr ntens nstatv nprops noel npt layer kspt kstep kinc time1 time2 dtime x y z celent
! femhost: statev = props_weighted cmname_length cmname_first drot_trace f1_12 f1_11 stran_12 dstran_12 pnewdt_in sand sdvini
subroutine umat(stress, statev, ddsdde, sse, spd, scd, rpl, ddsddt, drplde, drpldt, &
                stran, dstran, time, dtime, temp, dtemp, predef, dpred, cmname, ndi, nshr, ntens, &
                nstatv, props, nprops, coords, drot, pnewdt, celent, dfgrd0, dfgrd1, noel, npt, &
                layer, kspt, kstep, kinc)
  implicit none
  character(len=80), intent(in) :: cmname
  integer, intent(in) :: ndi, nshr, ntens, nstatv, nprops, noel, npt, layer, kspt, kstep, kinc
  double precision, intent(inout) :: stress(ntens), statev(nstatv), sse, spd, scd, rpl, pnewdt
  double precision, intent(out) :: ddsdde(ntens, ntens)
  double precision, intent(inout) :: ddsddt(ntens), drplde(ntens), drpldt
  double precision, intent(in) :: stran(ntens), dstran(ntens), time(2), dtime, temp, dtemp, predef(1), dpred(1)
  double precision, intent(in) :: props(nprops), coords(3), drot(3, 3), celent, dfgrd0(3, 3), dfgrd1(3, 3)
  integer :: i, j
  double precision :: weighted

  weighted = 0.0d0
  do i = 1, nprops
    weighted = weighted + i * props(i)
  end do
  statev(1:11) = [dble(ndi), dble(nshr), dble(ntens), dble(nstatv), dble(nprops), dble(noel), dble(npt), &
                  dble(layer), dble(kspt), dble(kstep), dble(kinc)]
  statev(12:18) = [time(1), time(2), dtime, coords(1), coords(2), coords(3), celent]
  statev(19) = weighted
  statev(20) = len_trim(cmname)
  statev(21) = ichar(cmname(1:1))
  statev(22) = drot(1, 1) + drot(2, 2) + drot(3, 3)
  statev(23) = dfgrd1(1, 2)
  statev(24) = dfgrd1(1, 1)
  statev(25) = stran(4)
  statev(26) = dstran(4)
  statev(27) = pnewdt
  statev(28) = merge(1.0d0, 0.0d0, cmname == 'SAND')
  do i = 1, ntens
    stress(i) = stress(i) + i
    do j = 1, ntens
      ddsdde(i, j) = 10 * i + j
    end do
  end do
  sse = sse + 1
  spd = spd + 2
  scd = scd + 3
end subroutine umat

subroutine sdvini(statev, coords, nstatv, ncrds, noel, npt, layer, kspt)
  implicit none
  integer, intent(in) :: nstatv, ncrds, noel, npt, layer, kspt
  double precision, intent(inout) :: statev(nstatv)
  double precision, intent(in) :: coords(ncrds)
  statev(nstatv) = 1000 * noel + 10 * coords(1) + coords(2) + 0.5d0 * ncrds
end subroutine sdvini
