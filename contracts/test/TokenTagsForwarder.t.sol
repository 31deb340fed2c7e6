// SPDX-License-Identifier: MIT
pragma solidity ^0.8.27;

import {ERC2771Forwarder} from "@openzeppelin/contracts/metatx/ERC2771Forwarder.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {Errors} from "@openzeppelin/contracts/utils/Errors.sol";
import {Fixture} from "./utils/Fixture.sol";
import {TagToken} from "../src/TagToken.sol";
import {VestingVault} from "../src/VestingVault.sol";

/// @dev Requests signed off-chain (EIP-712) and relayed by another account act for their signer.
contract TokenTagsForwarderTest is Fixture {
    uint256 internal constant TOTAL = 1_000e18;

    address internal relayer;
    address internal alice;
    uint256 internal aliceKey;
    address internal bob;
    uint256 internal bobKey;
    address internal carol;
    uint256 internal carolKey;

    function setUp() public override {
        super.setUp();
        relayer = makeAddr("relayer");
        (alice, aliceKey) = makeAddrAndKey("alice");
        (bob, bobKey) = makeAddrAndKey("bob");
        (carol, carolKey) = makeAddrAndKey("carol");
        vm.deal(relayer, 10 ether);
    }

    /// @dev A schedule for `beneficiary` that is fully vested now.
    function _vestedSchedule(address beneficiary) internal returns (uint256) {
        return _createSchedule(beneficiary, TOTAL, uint64(block.timestamp - 10 days), 0, 1 days);
    }

    function _claimData(uint256 id) internal pure returns (bytes memory) {
        return abi.encodeCall(VestingVault.claim, (id));
    }

    function _recover(ERC2771Forwarder.ForwardRequestData memory request, uint256 nonce)
        internal
        view
        returns (address)
    {
        return ECDSA.recover(_digest(request, nonce), request.signature);
    }

    // --- domain ---

    function test_Domain_IsTokenTagsForwarderVersion1() public view {
        (, string memory name, string memory version, uint256 chainId, address verifyingContract,,) =
            forwarder.eip712Domain();
        assertEq(name, "TokenTags Forwarder");
        assertEq(version, "1");
        assertEq(chainId, block.chainid);
        assertEq(verifyingContract, address(forwarder));
    }

    function test_Verify_AcceptsRequestSignedWithTheDocumentedDomain() public {
        ERC2771Forwarder.ForwardRequestData memory request =
            _signedRequest(aliceKey, address(vault), _claimData(_vestedSchedule(alice)));
        assertTrue(forwarder.verify(request));
    }

    // --- execute ---

    function test_Execute_ClaimGoesToSigner() public {
        uint256 id = _vestedSchedule(alice);
        ERC2771Forwarder.ForwardRequestData memory request = _signedRequest(aliceKey, address(vault), _claimData(id));

        vm.expectEmit(address(vault));
        emit VestingVault.Claimed(id, alice, TOTAL);
        vm.expectEmit(address(forwarder));
        emit ERC2771Forwarder.ExecutedForwardRequest(alice, 0, true);
        vm.prank(relayer);
        forwarder.execute(request);

        assertEq(token.balanceOf(alice), TOTAL);
        assertEq(token.balanceOf(relayer), 0);
        assertEq(forwarder.nonces(alice), 1);
    }

    function test_Execute_TokenTransferIsFromSigner() public {
        vm.prank(admin);
        token.transfer(alice, 100e18);
        bytes memory data = abi.encodeCall(IERC20.transfer, (carol, 30e18));
        ERC2771Forwarder.ForwardRequestData memory request = _signedRequest(aliceKey, address(token), data);

        vm.expectEmit(address(token));
        emit IERC20.Transfer(alice, carol, 30e18);
        vm.prank(relayer);
        forwarder.execute(request);

        assertEq(token.balanceOf(alice), 70e18);
        assertEq(token.balanceOf(carol), 30e18);
        assertEq(token.balanceOf(relayer), 0);
    }

    function test_Execute_SignerCannotClaimOthersSchedule() public {
        uint256 id = _vestedSchedule(alice);
        ERC2771Forwarder.ForwardRequestData memory request = _signedRequest(bobKey, address(vault), _claimData(id));
        // The vault reverts VestingVaultNotBeneficiary(id, bob); the forwarder reports the failed call.
        vm.expectRevert(abi.encodeWithSelector(Errors.FailedCall.selector));
        vm.prank(relayer);
        forwarder.execute(request);
        assertEq(token.balanceOf(alice), 0);
        assertEq(forwarder.nonces(bob), 0);
    }

    function test_Execute_RevertsOnTamperedData() public {
        uint256 id = _vestedSchedule(alice);
        uint256 other = _vestedSchedule(alice);
        ERC2771Forwarder.ForwardRequestData memory request = _signedRequest(aliceKey, address(vault), _claimData(id));
        request.data = _claimData(other);

        vm.expectRevert(
            abi.encodeWithSelector(
                ERC2771Forwarder.ERC2771ForwarderInvalidSigner.selector, _recover(request, 0), alice
            )
        );
        vm.prank(relayer);
        forwarder.execute(request);
    }

    function test_Execute_RevertsOnTamperedFrom() public {
        _vestedSchedule(bob);
        ERC2771Forwarder.ForwardRequestData memory request = _signedRequest(aliceKey, address(vault), _claimData(0));
        request.from = bob;

        vm.expectRevert(
            abi.encodeWithSelector(ERC2771Forwarder.ERC2771ForwarderInvalidSigner.selector, _recover(request, 0), bob)
        );
        vm.prank(relayer);
        forwarder.execute(request);
        assertEq(token.balanceOf(bob), 0);
    }

    function test_Execute_RevertsOnReplay() public {
        uint256 id = _vestedSchedule(alice);
        ERC2771Forwarder.ForwardRequestData memory request = _signedRequest(aliceKey, address(vault), _claimData(id));
        vm.prank(relayer);
        forwarder.execute(request);

        vm.expectRevert(
            abi.encodeWithSelector(
                ERC2771Forwarder.ERC2771ForwarderInvalidSigner.selector, _recover(request, 1), alice
            )
        );
        vm.prank(relayer);
        forwarder.execute(request);
    }

    function test_Execute_AcceptsAtDeadlineAndRevertsAfter() public {
        uint256 id = _vestedSchedule(alice);
        ERC2771Forwarder.ForwardRequestData memory request = _signedRequest(aliceKey, address(vault), _claimData(id));

        vm.warp(request.deadline + 1);
        vm.expectRevert(
            abi.encodeWithSelector(ERC2771Forwarder.ERC2771ForwarderExpiredRequest.selector, request.deadline)
        );
        vm.prank(relayer);
        forwarder.execute(request);

        vm.warp(request.deadline);
        vm.prank(relayer);
        forwarder.execute(request);
        assertEq(token.balanceOf(alice), TOTAL);
    }

    function test_Execute_RevertsForTargetNotTrustingForwarder() public {
        TagToken stranger = new TagToken("Stranger", "S", alice, 1e18, address(0xdead));
        bytes memory data = abi.encodeCall(IERC20.transfer, (carol, 1e18));
        ERC2771Forwarder.ForwardRequestData memory request = _signedRequest(aliceKey, address(stranger), data);

        vm.expectRevert(
            abi.encodeWithSelector(
                ERC2771Forwarder.ERC2771UntrustfulTarget.selector, address(stranger), address(forwarder)
            )
        );
        vm.prank(relayer);
        forwarder.execute(request);
    }

    // --- executeBatch ---

    function _threeClaims() internal returns (ERC2771Forwarder.ForwardRequestData[] memory requests) {
        uint256 a = _vestedSchedule(alice);
        uint256 b = _vestedSchedule(bob);
        uint256 c = _vestedSchedule(carol);
        requests = new ERC2771Forwarder.ForwardRequestData[](3);
        requests[0] = _signedRequest(aliceKey, address(vault), _claimData(a));
        requests[1] = _signedRequest(bobKey, address(vault), _claimData(b));
        requests[2] = _signedRequest(carolKey, address(vault), _claimData(c));
    }

    function test_ExecuteBatch_CreditsEachSigner() public {
        ERC2771Forwarder.ForwardRequestData[] memory requests = _threeClaims();
        vm.prank(relayer);
        forwarder.executeBatch(requests, payable(address(0)));

        assertEq(token.balanceOf(alice), TOTAL);
        assertEq(token.balanceOf(bob), TOTAL);
        assertEq(token.balanceOf(carol), TOTAL);
        assertEq(token.balanceOf(relayer), 0);
    }

    function test_ExecuteBatch_SkipsTamperedRequestAndRefunds() public {
        ERC2771Forwarder.ForwardRequestData[] memory requests = _threeClaims();
        // Bob's request carries value, then is tampered with after signing.
        requests[1].value = 1 ether;
        _sign(bobKey, requests[1], 0);
        requests[1].gas = 1_000_000;
        address refundReceiver = makeAddr("refundReceiver");

        vm.prank(relayer);
        forwarder.executeBatch{value: 1 ether}(requests, payable(refundReceiver));

        assertEq(token.balanceOf(alice), TOTAL);
        assertEq(token.balanceOf(bob), 0);
        assertEq(token.balanceOf(carol), TOTAL);
        assertEq(forwarder.nonces(bob), 0);
        assertEq(refundReceiver.balance, 1 ether);
        assertEq(address(forwarder).balance, 0);
    }

    function test_ExecuteBatch_SkipsExpiredRequest() public {
        ERC2771Forwarder.ForwardRequestData[] memory requests = _threeClaims();
        requests[0].deadline = uint48(block.timestamp - 1);
        _sign(aliceKey, requests[0], 0);

        vm.prank(relayer);
        forwarder.executeBatch(requests, payable(relayer));

        assertEq(token.balanceOf(alice), 0);
        assertEq(token.balanceOf(bob), TOTAL);
        assertEq(token.balanceOf(carol), TOTAL);
        assertEq(forwarder.nonces(alice), 0);
    }

    function test_ExecuteBatch_RevertsOnBadRequestWithoutRefundReceiver() public {
        ERC2771Forwarder.ForwardRequestData[] memory requests = _threeClaims();
        requests[2].deadline = uint48(block.timestamp - 1);
        _sign(carolKey, requests[2], 0);

        vm.expectRevert(
            abi.encodeWithSelector(ERC2771Forwarder.ERC2771ForwarderExpiredRequest.selector, requests[2].deadline)
        );
        vm.prank(relayer);
        forwarder.executeBatch(requests, payable(address(0)));
        assertEq(token.balanceOf(alice), 0);
    }

    function test_ExecuteBatch_FailedCallDoesNotStopTheOthers() public {
        ERC2771Forwarder.ForwardRequestData[] memory requests = _threeClaims();
        // Bob signs a valid request whose call fails: a schedule still before its cliff.
        uint256 locked = _createSchedule(bob, TOTAL, uint64(block.timestamp), 30 days, 60 days);
        requests[1] = _signedRequest(bobKey, address(vault), _claimData(locked));

        vm.expectEmit(address(forwarder));
        emit ERC2771Forwarder.ExecutedForwardRequest(alice, 0, true);
        vm.expectEmit(address(forwarder));
        emit ERC2771Forwarder.ExecutedForwardRequest(bob, 0, false);
        vm.expectEmit(address(forwarder));
        emit ERC2771Forwarder.ExecutedForwardRequest(carol, 0, true);
        vm.prank(relayer);
        forwarder.executeBatch(requests, payable(relayer));

        assertEq(token.balanceOf(alice), TOTAL);
        assertEq(token.balanceOf(bob), 0);
        assertEq(token.balanceOf(carol), TOTAL);
        // A signed request that ran, even unsuccessfully, uses its nonce.
        assertEq(forwarder.nonces(bob), 1);
    }
}
